import type { AppCommand, AppInfo, AppService } from '../../shared/contract';
import { createEmitter } from './emitter';

export type AppServiceImpl = AppService & {
  /** The desktop menu's way to ask the renderer to run a command (save, undo, ...). */
  sendCommand(command: AppCommand): void;
};

export function createAppService(info: AppInfo): AppServiceImpl {
  const commands = createEmitter<{ command: AppCommand }>();
  return {
    info: async () => info,
    onCommand: (listener) => commands.on(listener),
    sendCommand: (command) => commands.emit({ command }),
  };
}
