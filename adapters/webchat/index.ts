export { createWebchatAdapter, type WebchatAdapterDeps } from './adapter.js';
