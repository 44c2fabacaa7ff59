import baseConfig from '../eslint.config.mjs';

// The root config's ignore of the fixtures is relative to the root; this config is the one that lints tools/.
export default [...baseConfig, { ignores: ['lint-fixtures/**'] }];
