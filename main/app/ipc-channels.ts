/** The two IPC channels between the preload and the main process. */
export const IPC_CALL = 'langbridge:call';
export const IPC_EVENT = 'langbridge:event';
