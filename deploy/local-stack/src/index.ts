export {
  generateDemoDataset,
  orderStatuses,
  type DemoCustomer,
  type DemoDataset,
  type DemoDatasetOptions,
  type DemoOrder,
  type OrderStatus,
} from './demo-data/demo-dataset.ts';
export { demoSqlPath, renderDemoSql } from './demo-data/demo-sql.ts';
export type { HostPort, RunningStack, StackDatabases, StackEndpoints } from './running-stack.ts';
export { stackDatabaseNames, type StackDatabaseNames } from './stack-databases.ts';
export { startStack } from './stack-launcher.ts';
export type { ServiceExitEvent, StackLog, StackLogLevel, StackOptions } from './stack-options.ts';
export {
  defaultStackPorts,
  isStackServiceName,
  stackPortNames,
  stackServiceNames,
  type StackPortName,
  type StackServiceName,
} from './stack-services.ts';
export { StackStartError } from './stack-start-error.ts';
