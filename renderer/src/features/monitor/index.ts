export { MonitorScreen } from './monitor-screen';
export { LiveAnnouncer } from './live-announcer';
