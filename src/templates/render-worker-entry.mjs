// Plain-JavaScript entry of the render worker thread: loads the TypeScript sources through tsx,
// whichever way the main thread was started (the CLI, npm start, or the test runner).
import { register } from 'tsx/esm/api';

register();
await import('./render-worker.ts');
