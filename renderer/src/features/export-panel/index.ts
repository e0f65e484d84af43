export { ExportPanel, type ExportPanelProps } from './export-panel';
export { exportText, suggestedFileName, type ExportFormat } from './export-text';
export { ExportButton } from './export-button';
