export { SimulateScreen } from './simulate-screen';
