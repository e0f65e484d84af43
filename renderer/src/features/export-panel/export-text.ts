import { apiPolicyXml, exportArmTemplate, exportBicep } from '../../../../shared/export';
import type { Workspace } from '../../../../shared/model/schema';

export type ExportFormat = 'bicep' | 'arm' | 'policy';

export const FORMAT_LABEL: Record<ExportFormat, string> = { bicep: 'Bicep', arm: 'ARM template', policy: 'API policy XML' };

/** A file name to suggest on save-as, e.g. `breakerboard.bicep`, `azure-openai.policy.xml`. */
export function suggestedFileName(format: ExportFormat, apiId?: string): string {
  if (format === 'bicep') return 'breakerboard.bicep';
  if (format === 'arm') return 'breakerboard.arm.json';
  return `${apiId ?? 'api'}.policy.xml`;
}

/**
 * The export text, from the same shared/export code the CLI's `export` command uses; needs a valid workspace.
 * `source` is the file name the Bicep's first comment names, as `export <file>` does.
 */
export function exportText(ws: Workspace, format: ExportFormat, apiId?: string, source?: string): string {
  if (format === 'bicep') return exportBicep(ws, source ? { source } : {});
  if (format === 'arm') return `${JSON.stringify(exportArmTemplate(ws), null, 2)}\n`;
  if (!apiId) return '';
  return apiPolicyXml(ws, apiId);
}
