import { app, BrowserWindow, ipcMain, session, shell } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Langbridge } from '../services/langbridge';
import { IPC_CALL, IPC_EVENT } from './ipc-channels';

/**
 * The desktop front door: one window over the same services as the CLI and
 * the server. The renderer is sandboxed and reaches Node only through the
 * preload's named functions.
 */

const here = fileURLToPath(new URL('.', import.meta.url));
let services: Langbridge | null = null;

function workspaceDir(): string {
  const i = process.argv.indexOf('--workspace');
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : join(app.getPath('userData'), 'workspace');
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    title: 'Langbridge',
    show: false,
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  // No navigation away from the app and no new windows; web links open in the system browser.
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void win.loadFile(join(here, '../renderer/index.html'));
  return win;
}

void app.whenReady().then(() => {
  const lb = new Langbridge(workspaceDir());
  services = lb;
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  // The dev server injects an inline React-refresh script; its page keeps the
  // meta CSP only. Built pages get the strict header as well.
  if (!process.env.ELECTRON_RENDERER_URL) session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
    cb({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [
          "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; connect-src 'self'",
        ],
      },
    });
  });
  ipcMain.handle(IPC_CALL, (_e, name: unknown, input: unknown) => lb.call(String(name), input));
  lb.onAny((name, payload) => {
    for (const w of BrowserWindow.getAllWindows()) w.webContents.send(IPC_EVENT, name, payload);
  });
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', (ev) => ev.preventDefault());
  });
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => {
  services?.close();
});
