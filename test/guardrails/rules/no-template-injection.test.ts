import type { Block, StackView } from '../../../guardrails/rule';
import { noTemplateInjection, templateProblems } from '../../../guardrails/rules/no-template-injection';

/** A hand-built block: the rule reads only its configuration. */
function block(config: Record<string, unknown>): Block {
  return {
    kind: 'resource',
    type: 'aws_budgets_budget',
    name: 'budget',
    address: 'aws_budgets_budget.budget',
    path: 'organization/budget',
    config,
    policies: [],
  };
}
const stack = {} as StackView;

describe('MLP-TF-2 (no template sequence the code did not write)', () => {
  test("passes the code's own references, function calls and escaped user text", () => {
    const verdict = noTemplateInjection(
      block({
        account_id: '${aws_organizations_account.tenant_a.id}',
        name: 'ML $${Tenants} 100%%{x}',
        policy: '${jsonencode({"Statement" = [{"Resource" = "${aws_s3_bucket.data.arn}/*", "Effect" = "Allow"}]})}',
        ca: '${base64decode(data.terraform_remote_state.cross-stack-reference-input-shared.outputs.ca)}',
        workspace: '${terraform.workspace}',
        notification: [{ subscriber_email_addresses: ['team@example.com'] }],
      }),
      stack,
    );
    expect(verdict).toEqual([]);
  });

  test("fails a user's file() call in a nested list, naming the attribute and the fix", () => {
    const verdict = noTemplateInjection(block({ notification: [{ subscriber_email_addresses: ['x${file("/etc/hostname")}@example.com'] }] }), stack);
    expect(verdict).toEqual([
      {
        problem: expect.stringContaining(
          `notification[0].subscriber_email_addresses[0]: the expression '\${file("/etc/hostname")}' (calls file(), which no construct calls)`,
        ),
        fix: expect.stringContaining('terraformLiteral()'),
      },
    ]);
  });

  test("fails a directive, a call hidden inside the code's own jsonencode, and a template in a key", () => {
    const verdict = noTemplateInjection(
      block({
        name: '%{ if true }x%{ endif }',
        policy: '${jsonencode({"Sid" = "a${base64encode(file("/proc/self/environ"))}"})}',
        tags: { 'k${path.cwd}': 'v' },
      }),
      stack,
    );
    expect(verdict?.map((v) => v.problem.split(', which no construct writes')[0])).toEqual([
      "name: the template directive '%{ if true }'",
      "name: the template directive '%{ endif }'",
      `policy: the expression '\${base64encode(file("/proc/self/environ"))}' (calls base64encode(), which no construct calls)`,
      `the key 'k\${path.cwd}' of tags: the expression '\${path.cwd}' (refers to 'path', which is no resource, data source, variable or local)`,
    ]);
  });

  test.each([
    ['a$${sha1("x")}', []],
    ['$$${x}', []],
    ['a${sha1("x")}', ['the expression \'${sha1("x")}\' (calls sha1(), which no construct calls)']],
    ['${}', ["the expression '${}' (empty)"]],
  ])('reads %p as Terraform does', (text, expected) => {
    expect(templateProblems(text)).toEqual(expected);
  });
});
