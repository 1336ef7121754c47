// The memory-bound kernels (max pooling, its gradient, sums of rows) that run on the tfjs wasm backend's own memory, where the tensors
// already are (src/wasm/heap-kernels.ts): no copy into the kernel module's memory and back. This
// module has no data segment and no start function, so instantiating it on another module's
// memory writes nothing there; every pointer is a byte offset the caller got from the backend.
export { maxPool1d, maxPool1dGrad, sumRows } from '../conv1d';
