// The kernels that run on the tfjs wasm backend's own memory, where the tensors already are (src/wasm/heap-kernels.ts): no copy into the kernel module's memory and back. Max
// pooling, its gradient and sums of rows are memory-bound; a Conv1D's forward and weight
// gradients run here when they would run on one thread anyway (see src/wasm/conv1d.ts). This
// module has no data segment and no start function, so instantiating it on another module's
// memory writes nothing there; every pointer is a byte offset the caller got from the backend.
export { adamUpdateTo } from '../adam';
export {
  conv1dActGradTo,
  conv1dFilterGrad,
  conv1dForwardBiasAct,
  maxPool1d,
  maxPool1dGrad,
  sumRows,
} from '../conv1d';
