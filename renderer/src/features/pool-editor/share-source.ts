// The one import point for traffic shares: the gateway's own picker math in shared/semantics (issue 7: "computed
// by the same shared/ routing code the gateway uses, not a copy").
export { expectedShare, type ShareResult } from '../../../../shared/semantics/share';
export type { MemberSpec } from '../../../../shared/semantics/picker';
