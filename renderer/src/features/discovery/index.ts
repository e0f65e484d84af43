export { DiscoveryScreen } from './discovery-screen';
