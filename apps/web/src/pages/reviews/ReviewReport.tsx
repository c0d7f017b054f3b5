import { Placeholder } from '../Placeholder';

/** One quarter's 回头看 report. */
export function ReviewReport() {
  return <Placeholder title="回头看报告" />;
}
