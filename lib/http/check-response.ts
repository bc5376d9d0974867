import { AppError, type FieldProblem } from "../errors";
import { logger } from "../log";
import { formatPath, zodProblems } from "../schemas/zod";
import { normalResponse, type OperationSpec } from "./operation";

export interface Answer {
  status: number;
  /** The media type sent, without parameters; null when there is no body. */
  contentType: string | null;
  /** The body as the client reads it (after JSON.stringify), when it is JSON built by the wrapper. */
  json?: unknown;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Fields the handler sent that the schema does not declare (zod objects drop them silently when parsing). */
export function undeclaredFields(sent: unknown, parsed: unknown, path: (string | number)[] = [], out: FieldProblem[] = []): FieldProblem[] {
  if (Array.isArray(sent) && Array.isArray(parsed)) {
    sent.forEach((v, i) => undeclaredFields(v, parsed[i], [...path, i], out));
  } else if (isPlainObject(sent) && isPlainObject(parsed)) {
    for (const [k, v] of Object.entries(sent)) {
      if (!(k in parsed)) out.push({ path: formatPath([...path, k]), message: "Not in the declared response schema" });
      else undeclaredFields(v, parsed[k], [...path, k], out);
    }
  }
  return out;
}

/** What is wrong with an answer against the operation's declared responses, or null when it matches. */
export function responseDrift(op: Pick<OperationSpec, "responses">, answer: Answer): { problem: string; fields: FieldProblem[] } | null {
  const declared = op.responses[answer.status];
  if (declared === undefined) return { problem: `status ${answer.status} is not declared`, fields: [] };
  const r = normalResponse(declared);
  if (!r.contentTypes.length) return answer.contentType ? { problem: "it is declared without a body but has one", fields: [] } : null;
  if (!answer.contentType || !r.contentTypes.includes(answer.contentType)) {
    return { problem: `content type ${answer.contentType ?? "(none)"} is not declared`, fields: [] };
  }
  if (!r.schema || answer.json === undefined) return null;
  const parsed = r.schema.safeParse(answer.json);
  const fields = parsed.success ? undeclaredFields(answer.json, parsed.data) : zodProblems(parsed.error);
  return fields.length ? { problem: "the body does not match the declared schema", fields } : null;
}

/** Throws a 500 problem (and logs) when the answer drifted from the declaration; used outside production. */
export function assertDeclaredResponse(op: Pick<OperationSpec, "responses">, answer: Answer, where: string): void {
  const drift = responseDrift(op, answer);
  if (!drift) return;
  logger.error("admin API response drifted from its declaration", {
    operation: where,
    status: answer.status,
    problem: drift.problem,
    fields: drift.fields,
  });
  throw new AppError("internal", `The response of ${where} drifted from its declaration: ${drift.problem}`, { fields: drift.fields });
}

export const mediaType = (header: string | null) => (header ? header.split(";")[0].trim().toLowerCase() : null);
