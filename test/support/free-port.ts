export { freeLoopbackPort as freePort } from '../../src/observability/free-port';
