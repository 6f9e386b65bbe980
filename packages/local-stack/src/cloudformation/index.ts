/**
 * CloudFormation templates read as CloudFormation reads them: the one intrinsic resolver of the repo
 * (used by the local stand-ins and by the services' template tests) and the YAML short forms.
 */
export { effectiveTemplate, evaluateConditions } from './conditions';
export {
  intrinsicResolver,
  resolveIntrinsics,
  resolvePolicyDocument,
} from './intrinsics';
export { arnOfResource, type CloudFormationTemplate, type IntrinsicContext } from './template';
export { cloudFormationYamlTags, parseCloudFormationYaml } from './yaml';
