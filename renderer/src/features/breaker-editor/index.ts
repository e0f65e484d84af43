export { BreakersScreen } from './breakers-screen';
export { explainRule, humanDuration, type RuleExplanation } from './explain-rule';
export { RuleEditor } from './rule-editor';
export { RuleTimeline } from './rule-timeline';
