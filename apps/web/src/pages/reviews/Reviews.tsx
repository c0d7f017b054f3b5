import { Placeholder } from '../Placeholder';

/** 回头看: the quarterly reviews, run and read. */
export function Reviews() {
  return <Placeholder title="回头看" />;
}
