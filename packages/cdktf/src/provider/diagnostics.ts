/** A tfplugin6 `Diagnostic`, as this provider sends it. */
export interface Diagnostic {
  severity: 'ERROR' | 'WARNING';
  summary: string;
  detail: string;
  attribute?: { steps: { attribute_name: string }[] };
}

export const errorDiagnostic = (summary: string, detail: string): Diagnostic => ({
  severity: 'ERROR',
  summary,
  detail,
});

export const warningDiagnostic = (summary: string, detail: string): Diagnostic => ({
  severity: 'WARNING',
  summary,
  detail,
});
