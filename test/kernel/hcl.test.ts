import { evaluateTemplate, HclError, hasInterpolation, referencesIn, soleReference, type Reference } from '../../kernel/hcl';

const refs: Record<string, string> = {
  'aws_s3_bucket.data.arn': 'arn:aws:s3:::team-data',
  'data.terraform_remote_state.org.outputs.account': '123456789012',
  'data.terraform_remote_state.shared.outputs.issuer': 'https://oidc.eks.us-east-1.amazonaws.com/id/ABC',
  'kubernetes_namespace_v1.ns.metadata[0].name': 'team',
};

const context = {
  reference(reference: Reference) {
    const key = reference.root + reference.steps.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('');
    if (!(key in refs)) throw new HclError(`unknown reference ${key}`);
    return refs[key];
  },
};

const evaluate = (text: string) => evaluateTemplate(text, context);

describe('the Terraform expression subset', () => {
  test('returns plain strings unchanged', () => {
    expect(evaluate('arn:aws:s3:::plain')).toBe('arn:aws:s3:::plain');
  });

  test('interpolates references into text', () => {
    expect(evaluate('${aws_s3_bucket.data.arn}/*')).toBe('arn:aws:s3:::team-data/*');
  });

  test('keeps $${ and %%{ as literal text', () => {
    expect(evaluate('$${aws:username} %%{x}')).toBe('${aws:username} %{x}');
  });

  test('evaluates jsonencode of objects, tuples, nested templates and references', () => {
    const text =
      '${jsonencode({"Version" = "2012-10-17", "Statement" = [{"Resource" = [aws_s3_bucket.data.arn, "${aws_s3_bucket.data.arn}/*"], "Condition" = {"StringEquals" = {"aws:PrincipalAccount" = data.terraform_remote_state.org.outputs.account}}}]})}';
    expect(JSON.parse(String(evaluate(text)))).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Resource: ['arn:aws:s3:::team-data', 'arn:aws:s3:::team-data/*'], Condition: { StringEquals: { 'aws:PrincipalAccount': '123456789012' } } },
      ],
    });
  });

  test('evaluates the zipmap, format and replace the workload trust policy uses', () => {
    const text =
      '${jsonencode({"c" = zipmap([format("%s:sub", replace(data.terraform_remote_state.shared.outputs.issuer, "https://", "")), format("%s:aud", replace(data.terraform_remote_state.shared.outputs.issuer, "https://", ""))], ["system:serviceaccount:team:team-workload", "sts.amazonaws.com"])})}';
    expect(JSON.parse(String(evaluate(text)))).toEqual({
      c: {
        'oidc.eks.us-east-1.amazonaws.com/id/ABC:sub': 'system:serviceaccount:team:team-workload',
        'oidc.eks.us-east-1.amazonaws.com/id/ABC:aud': 'sts.amazonaws.com',
      },
    });
  });

  test('reads index traversals such as metadata[0].name', () => {
    expect(evaluate('${kubernetes_namespace_v1.ns.metadata[0].name}')).toBe('team');
  });

  test('decodes string escapes inside expressions', () => {
    expect(evaluate('${jsonencode({"k" = "a\\"b\\\\c\\u0041"})}')).toBe(JSON.stringify({ k: 'a"b\\cA' }));
  });

  test('evaluates base64decode and join', () => {
    expect(evaluate('${base64decode("aGVsbG8=")}-${join(",", ["a", "b"])}')).toBe('hello-a,b');
  });

  test('fails on a function it does not know', () => {
    expect(() => evaluate('${cidrsubnet("10.0.0.0/16", 8, 1)}')).toThrow(/function 'cidrsubnet' is not supported/);
  });

  test('fails on operators and conditionals rather than guessing', () => {
    expect(() => evaluate('${1 + 2}')).toThrow(/operator '\+' is not supported/);
    expect(() => evaluate('${true ? "a" : "b"}')).toThrow(/operator '\?' is not supported/);
  });

  test('fails on template directives', () => {
    expect(() => evaluate('%{ if true }x%{ endif }')).toThrow(/directives/);
  });

  test('fails on for expressions and splats', () => {
    expect(() => evaluate('${[for x in ["a"] : x]}')).toThrow(/for expressions/);
    expect(() => evaluate('${aws_s3_bucket.data[*].arn}')).toThrow(/splat/);
  });

  test('passes the reference error through', () => {
    expect(() => evaluate('${aws_s3_bucket.other.arn}')).toThrow(/unknown reference aws_s3_bucket\.other\.arn/);
  });

  test('fails on an unterminated interpolation', () => {
    expect(() => evaluate('${jsonencode({"a" = "b"}')).toThrow(HclError);
  });

  test('lists the references of a template without evaluating it', () => {
    const found = referencesIn('${jsonencode({"r" = [aws_s3_bucket.data.arn, "${kubernetes_namespace_v1.ns.metadata[0].name}"]})}');
    expect(found).toEqual([
      { root: 'aws_s3_bucket', steps: ['data', 'arn'] },
      { root: 'kubernetes_namespace_v1', steps: ['ns', 'metadata', 0, 'name'] },
    ]);
  });
});

describe('soleReference and hasInterpolation', () => {
  test('a template that is exactly one reference yields it', () => {
    expect(soleReference('${aws_eks_cluster.c_1.identity[0].oidc[0].issuer}')).toEqual({
      root: 'aws_eks_cluster',
      steps: ['c_1', 'identity', 0, 'oidc', 0, 'issuer'],
    });
  });

  test('anything else yields undefined, without throwing', () => {
    expect(
      ['arn:${aws_s3_bucket.b.arn}', '${aws_s3_bucket.b.arn}/*', '${jsonencode(local.x)}', 'plain', '${unterminated', '$${aws:username}'].map(soleReference),
    ).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });

  test('an escaped $${ is not an interpolation', () => {
    expect(hasInterpolation('arn:aws:s3:::b/$${aws:username}')).toBe(false);
    expect(hasInterpolation('x-${var.y}')).toBe(true);
  });
});
