import { applyConnectorAuth } from "../connectors/auth/apply";
import { env } from "../env";
import { isAppError } from "../errors";
import { isConnectionUnusable } from "../oauth/user-token";
import { GatewayError } from "../gateway/errors";
import { logger } from "../log";
import { buildRequest, ToolConfigError, ToolInputError, withConnectorParams, type OutgoingRequest } from "./build-request";
import { toolCallSink, type CallOutcome } from "./record-call";
import { findConnector, findOperation } from "./resolve-operation";
import { sendToolRequest, SendFailure, type ToolAnswer } from "./send";
import { checkToolInput } from "./validate-input";

// One tool call: a connector's operation with the caller's input, sent with the connector's credentials to the
// connector's API, answered with the API's own answer. Every call that reaches a connector of the key's workspace
// is recorded (without secrets or bodies), whatever its outcome.

export interface ToolCallRequest {
  workspaceId: string;
  keyId: string;
  connectorId: string;
  operationId: string;
  input: Record<string, unknown>;
  endUserId: string | null;
  agent: string | null;
  signal?: AbortSignal;
}

const fail = (status: number, type: string, code: string, message: string, param: string | null = null) =>
  new GatewayError(status, type, code, message, { param });

/** The values an auth mode put on the request that must not come back to the caller: secrets and whole tokens. */
function sentSecrets(req: OutgoingRequest, secrets: string[]): string[] {
  const auth = req.headers.authorization;
  const token = auth?.replace(/^\S+\s+/, "");
  return token && token !== auth ? [...secrets, token] : secrets;
}

export async function callTool(call: ToolCallRequest): Promise<ToolAnswer> {
  const started = performance.now();
  const at = new Date();
  const found = await findConnector(call.workspaceId, call.connectorId);
  // Another workspace's connector and a missing one answer alike.
  if (!found)
    throw fail(404, "invalid_request_error", "connector_not_found", `No connector '${call.connectorId}' in this key's workspace.`);
  const { connector } = found;
  const record = (
    op: { method: string; path: string; operationId: string },
    outcome: CallOutcome,
    status: number | null,
    errorCode: string | null,
  ) =>
    toolCallSink().record({
      at,
      workspaceId: connector.workspaceId,
      connectorId: connector.id,
      keyId: call.keyId,
      endUserId: call.endUserId,
      agent: call.agent,
      operationId: op.operationId,
      method: op.method,
      path: op.path,
      status,
      outcome,
      errorCode,
      latencyMs: performance.now() - started,
      connectorStatus: found.status,
      authMode: connector.authMode,
    });

  const op = await findOperation(found, call.operationId);
  if (!op) {
    record({ operationId: call.operationId, method: "", path: "" }, "failed", null, "operation_not_found");
    throw fail(
      404,
      "invalid_request_error",
      "operation_not_found",
      `The connector '${connector.name}' has no operation '${call.operationId}' (provider ${connector.providerName}).`,
    );
  }
  if (!op.enabled) {
    record(op, "refused", null, "operation_disabled");
    throw fail(
      403,
      "permission_error",
      "operation_disabled",
      `The operation '${op.operationId}' is switched off as a tool on the provider ${connector.providerName}; a Builder can switch it on.`,
    );
  }

  let built: OutgoingRequest;
  try {
    const { input, fixed } = withConnectorParams(op, call.input, connector.params);
    const problem = checkToolInput(`${op.versionId}:${op.operationId}`, op.inputSchema, input);
    // A value the connector fixes that the operation refuses is the connector's to fix, not the caller's.
    const fixedKey = problem && fixed.find((k) => problem.path === `/${k}` || problem.path.startsWith(`/${k}/`));
    if (fixedKey) throw new ToolConfigError(`The connector's parameter '${fixedKey}' does not fit the operation: ${problem.message}`);
    if (problem) throw new ToolInputError(problem.path, problem.message);
    built = buildRequest({ operation: op, input, baseUrl: connector.baseUrl, connectorParams: connector.params });
  } catch (e) {
    if (e instanceof ToolInputError) {
      record(op, "invalid_input", null, "invalid_input");
      const where = e.path ? `'${e.path}'` : "the input";
      throw fail(400, "invalid_request_error", "invalid_input", `Invalid input at ${where}: ${e.message}.`, e.path || null);
    }
    if (e instanceof ToolConfigError) {
      record(op, "failed", null, "connector_misconfigured");
      throw fail(502, "upstream_error", "connector_misconfigured", `${e.message}.`);
    }
    throw e;
  }

  let secrets: string[];
  let refreshable = false;
  const unauthenticated = structuredClone(built);
  const authenticate = async (target: OutgoingRequest, rejectedToken?: string) => {
    try {
      const applied = await applyConnectorAuth(connector, target, { endUserId: call.endUserId, rejectedToken });
      refreshable = applied.refreshable;
      return sentSecrets(target, applied.secrets);
    } catch (e) {
      throw authFailure(e);
    }
  };
  const authFailure = (e: unknown) => {
    if (isConnectionUnusable(e)) {
      record(op, "refused", null, "end_user_connection");
      return fail(
        403,
        "permission_error",
        "end_user_connection",
        `The connector '${connector.name}' cannot act for this end user: ${e.message}.`,
      );
    }
    record(op, "failed", null, "credential_unavailable");
    // A credential that is gone or does not decrypt: say which connector, never what was stored.
    if (!isAppError(e) || e.code === "not_found")
      logger.error("connector credential could not be opened", { connectorId: connector.id, error: e });
    const why = isAppError(e) && e.code === "bad_request" ? e.message : "Its credential could not be opened";
    return fail(502, "upstream_error", "credential_unavailable", `The connector '${connector.name}' cannot authenticate: ${why}.`);
  };
  secrets = await authenticate(built);

  try {
    const send = (req: OutgoingRequest) =>
      sendToolRequest(req, { allowPrivate: connector.internal, timeoutMs: env.SWITCHBOARD_TOOL_TIMEOUT_MS, signal: call.signal, secrets });
    let answer = await send(built);
    const sentToken = built.headers.authorization?.replace(/^Bearer\s+/i, "");
    // An OAuth token the API refuses is refreshed once (unless someone already did) and the call sent again.
    if (answer.status === 401 && refreshable && sentToken) {
      const retry = structuredClone(unauthenticated);
      secrets = [...secrets, ...(await authenticate(retry, sentToken))];
      // A static token (app-token with a value) comes back the same: no point sending it again.
      if (retry.headers.authorization !== built.headers.authorization) answer = await send(retry);
    }
    record(op, answer.status < 400 ? "ok" : "upstream_error", answer.status, null);
    return answer;
  } catch (e) {
    // The retry's authentication failed: already recorded and worded.
    if (e instanceof GatewayError) throw e;
    if (!(e instanceof SendFailure)) {
      record(op, "failed", null, "internal_error");
      throw e;
    }
    switch (e.kind) {
      case "timeout":
        record(op, "timeout", null, "upstream_timeout");
        throw fail(504, "timeout_error", "upstream_timeout", `${e.message}.`);
      case "refused":
        record(op, "refused", null, "destination_refused");
        throw fail(502, "upstream_error", "destination_refused", e.message);
      case "too_large":
        record(op, "failed", e.status, "response_too_large");
        throw fail(502, "upstream_error", "response_too_large", `${e.message}; the call went through but its answer is not returned.`);
      case "aborted":
        record(op, "failed", null, "client_closed");
        throw fail(499, "invalid_request_error", "client_closed", e.message);
      default:
        record(op, "failed", null, "upstream_unreachable");
        throw fail(502, "upstream_error", "upstream_unreachable", `${e.message}.`);
    }
  }
}
