import { type ReactNode, useEffect, useRef } from 'react';

/**
 * The head of a screen shown instead of the chat (Usage, Admin): its heading, focused when the
 * screen (or `pageTitle`) changes, and its buttons ending with “Back to the chat”.
 */
export const ScreenHead = ({
  heading,
  pageTitle,
  navLabel,
  onClose,
  children,
}: {
  heading: ReactNode;
  /** The document's title while the screen is shown. */
  pageTitle: string;
  navLabel: string;
  onClose: () => void;
  children?: ReactNode;
}) => {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = pageTitle;
    headingRef.current?.focus();
  }, [pageTitle]);
  return (
    <div className="usage-head">
      <h1 ref={headingRef} tabIndex={-1}>
        {heading}
      </h1>
      <nav aria-label={navLabel} className="actions">
        {children}
        <button type="button" onClick={onClose}>
          Back to the chat
        </button>
      </nav>
    </div>
  );
};
