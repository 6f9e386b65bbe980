import { CHART, chartBars, formatShare, formatTokens, shiftMonth } from './usage-chart';

const day = (date: string, totalTokens: number, prompts = 1) => ({
  day: date,
  inputTokens: totalTokens,
  outputTokens: 0,
  totalTokens,
  prompts,
});

describe('chartBars', () => {
  it('draws one bar per day, the busiest reaching the top and a quiet day as a gap', () => {
    // Act
    const bars = chartBars([day('2026-03-01', 500), day('2026-03-02', 0, 0), day('2026-03-03', 1_000)]);

    // Assess
    expect(bars.map((bar) => [bar.day, bar.height])).toEqual([
      ['2026-03-01', CHART.height / 2],
      ['2026-03-02', 0],
      ['2026-03-03', CHART.height],
    ]);
    expect(bars[2]?.y).toBe(0);
    expect(bars[1]?.x).toBeCloseTo(CHART.width / 3 + CHART.gap / 2);
  });

  it('keeps a day with very little usage visible, and draws nothing for a month without any', () => {
    // Act
    const tiny = chartBars([day('2026-03-01', 1), day('2026-03-02', 1_000_000)]);
    const none = chartBars([day('2026-03-01', 0, 0)]);

    // Assess
    expect(tiny[0]?.height).toBe(1);
    expect(none[0]?.height).toBe(0);
    expect(chartBars([])).toEqual([]);
  });
});

describe('formatTokens and formatShare', () => {
  it.each([
    ['formatTokens', formatTokens, 950, '950'],
    ['formatTokens', formatTokens, 9_999, '9,999'],
    ['formatTokens', formatTokens, 12_345, '12.3k'],
    ['formatTokens', formatTokens, 4_500_000, '4.5M'],
    ['formatShare', formatShare, 0, '0.0%'],
    ['formatShare', formatShare, 0.0015, '0.15%'],
    ['formatShare', formatShare, 0.03, '3.0%'],
    ['formatShare', formatShare, 1.2, '120.0%'],
  ])('%s writes %d as %s', (_name, format, value, text) => {
    // Act / Assess
    expect(format(value)).toBe(text);
  });
});

describe('shiftMonth', () => {
  it('steps across the turn of a year both ways', () => {
    // Act / Assess
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(shiftMonth('2025-12', 1)).toBe('2026-01');
    expect(shiftMonth('2026-03', 0)).toBe('2026-03');
  });
});
