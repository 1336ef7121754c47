export {
  type AdapterConformanceFixture,
  describeAdapterConformance,
} from './describe-adapter-conformance';
