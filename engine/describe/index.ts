/**
 * Plain-words descriptions of protocols: what each criterion's logic means,
 * with windows, units and reference dates spelled out. Pure.
 */
export {
  describeLogic,
  describeContext,
  walkDescribed,
  LOGIC_NODE_KINDS,
  type DescribedNode,
  type DescribeContext,
  type DescribeOptions,
  type LogicNodeKind,
} from './describe-logic.ts'
export {
  describeProtocol,
  OPEN_PARAMETER_NOTE,
  DESCRIPTION_CONVENTIONS,
  type ProtocolDescription,
  type CriterionDescription,
  type ParameterDescription,
  type ReferenceDateDescription,
} from './describe-protocol.ts'
export type { ArmDescription, VisitDescription, EndpointDescription } from './describe-study.ts'
export { formatDescribedNode, formatProtocolDescription } from './format-text.ts'
export { humanUnit } from './unit-words.ts'
