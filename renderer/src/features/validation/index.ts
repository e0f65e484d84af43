export { FieldIssues, IssueMessages, useFieldValidation } from './field-issues';
export { fieldDomId, issuesAt, NO_ISSUES, pathWithin, type Issues } from './issues-at';
export type { EditFn, EditOptions, ScreenProps, WorkspaceEdit } from './screen-props';
export { useAllIssues, useIssuesAt, ValidationProvider } from './validation-context';
export { ValidationSummary } from './validation-summary';
