import type { TenantUsageView } from '@tenant-assistant/contracts/http';

/** One bar of the per-day chart, in the chart's own units (SVG user space). */
export interface DayBar {
  readonly day: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly totalTokens: number;
  readonly prompts: number;
}

/** The chart's size (SVG `viewBox`): bars fill it, the busiest day reaches the top. */
export const CHART = { width: 620, height: 160, gap: 2 } as const;

/**
 * The bars of the per-day chart of tokens: one per day of the view (zeros included, so a quiet day
 * shows as a gap), scaled to the busiest day; a day with any usage is at least one unit tall.
 * @example chartBars(view.days).map((bar) => <rect x={bar.x} … />)
 */
export const chartBars = (days: TenantUsageView['days']): DayBar[] => {
  const busiest = Math.max(0, ...days.map((day) => day.totalTokens));
  const slot = days.length === 0 ? 0 : CHART.width / days.length;
  return days.map((day, index) => {
    const height =
      busiest === 0 || day.totalTokens === 0 ? 0 : Math.max(1, (day.totalTokens / busiest) * CHART.height);
    return {
      day: day.day,
      x: index * slot + CHART.gap / 2,
      y: CHART.height - height,
      width: Math.max(1, slot - CHART.gap),
      height,
      totalTokens: day.totalTokens,
      prompts: day.prompts,
    };
  });
};

/** A token count for people: `1,234`, `12.3k`, `4.5M`. */
export const formatTokens = (tokens: number): string => {
  if (tokens >= 1_000_000) return `${(tokens / 1_000_000).toFixed(1)}M`;
  if (tokens >= 10_000) return `${(tokens / 1_000).toFixed(1)}k`;
  return tokens.toLocaleString('en-US');
};

/** A share of the budget as a percentage: `3.0%`, and two decimals below 1% (`0.15%`). */
export const formatShare = (share: number): string => {
  const percent = share * 100;
  return `${percent.toFixed(percent > 0 && percent < 1 ? 2 : 1)}%`;
};

/** The month before or after `month` (`YYYY-MM`). */
export const shiftMonth = (month: string, by: number): string => {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, monthNumber - 1 + by, 1)).toISOString().slice(0, 7);
};
