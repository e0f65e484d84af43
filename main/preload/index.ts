import { contextBridge } from 'electron';

// The typed api object is built from the shared contract (desktop-shell issue); until then only the platform.
contextBridge.exposeInMainWorld('breakerboard', Object.freeze({ platform: 'electron' }));
