/**
 * Free text from the settings files, made literal for Terraform. Terraform reads every
 * string of a `cdk.tf.json` as a template: `${...}` is evaluated and `%{...}` is a directive,
 * so a user's string written as is could call `file()` or read the deployer's environment at
 * plan time. Fields with a grammar (names, e-mails, ids, ARNs) are validated to one that has
 * no `$`, `%` or `{`; the few free-text fields go through this function where they enter the
 * model, and the guardrail MLP-TF-2 fails the synth if a template sequence slips through.
 */

/** `${` becomes `$${` and `%{` becomes `%%{`, which Terraform reads as the literal characters. */
export function terraformLiteral(text: string): string {
  // A function, not a replacement string: in one, '$$' would itself mean a single '$'.
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}
