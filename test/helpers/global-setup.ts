// Tests never write into the checkout: every one uses a temp DATA_DIR. This guard fails the run if a test
// created ./data (the default DATA_DIR) where there was none before.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DATA = fileURLToPath(new URL('../../data', import.meta.url));

export default function setup(): () => void {
  const before = existsSync(DATA);
  return () => {
    if (!before && existsSync(DATA)) {
      console.error("a test wrote into the checkout's ./data: give it a temp DATA_DIR");
      process.exitCode = 1;
    }
  };
}
