import { describe, expect, it } from "vitest";
import { EMPTY_FORM, formErrors, formFromDto, parseCreate, parseUpdate, type WebhookFormState } from "./form-state";
import type { WebhookDto } from "../schemas/webhooks";

const filled = (over: Partial<WebhookFormState> = {}): WebhookFormState => ({
  ...EMPTY_FORM,
  name: "GitHub pushes",
  target: "worker:wk_1",
  ...over,
});

describe("webhook form state", () => {
  it("builds the create payload in the schema's units, with only the scheme's own options", () => {
    const r = parseCreate(
      filled({
        scheme: "hmac-sha256",
        header: " X-Sig ",
        prefix: "sha256=",
        encoding: "base64",
        toleranceSeconds: "99",
        mode: "sync",
        syncTimeoutSeconds: "2.5",
        maxBodyKiB: "64",
        retentionDays: "7",
        redactFields: "data.card.number, user.email\n\n",
      }),
    );
    expect(r).toEqual({
      data: expect.objectContaining({
        scheme: "hmac-sha256",
        // The tolerance belongs to timestamped schemes only and is not sent.
        options: { header: "X-Sig", prefix: "sha256=", encoding: "base64" },
        target: { type: "worker", id: "wk_1" },
        mode: "sync",
        syncTimeoutMs: 2500,
        maxBodyBytes: 65536,
        retentionDays: 7,
        redactFields: ["data.card.number", "user.email"],
      }),
    });
    expect("data" in r && "secret" in r.data).toBe(false);
  });

  it("keeps a prefix's trailing space and sends the sender's secret only when chosen", () => {
    const r = parseCreate(filled({ scheme: "secret-header", prefix: "Bearer ", secretSource: "sender", secret: "s3cret-value" }));
    expect(r).toMatchObject({ data: { options: { prefix: "Bearer " }, secret: "s3cret-value" } });
    const generated = parseCreate(filled({ secretSource: "generate", secret: "typed-then-switched" }));
    expect("data" in generated && generated.data.secret).toBeUndefined();
  });

  it("maps the schema's problems onto the inputs, in the inputs' units", () => {
    const r = parseCreate(
      filled({
        name: "x",
        target: "",
        mode: "sync",
        syncTimeoutSeconds: "500",
        maxBodyKiB: "abc",
        retentionDays: "0",
        redactFields: "ok.path\nbad path!",
        secretSource: "sender",
        secret: "short",
      }),
    );
    expect("errors" in r && r.errors).toEqual({
      name: "Must be at least 2 characters",
      target: "Required",
      syncTimeoutSeconds: "Between 1 and 120 seconds",
      maxBodyKiB: "Between 1 and 10240 KiB (10 MiB)",
      retentionDays: expect.stringMatching(/too small/i),
      redactFields: "bad path!: Use dotted field paths, e.g. data.card.number",
      secret: "Must be at least 8 characters",
    });
  });

  it("maps the API's field errors, an unknown path to the form", () => {
    expect(formErrors([{ path: "name", message: "A webhook with this name already exists in this workspace" }], EMPTY_FORM)).toEqual({
      name: "A webhook with this name already exists in this workspace",
    });
    expect(formErrors([{ path: "target.id", message: "No such worker" }], EMPTY_FORM)).toEqual({ target: "No such worker" });
    expect(formErrors([{ path: "(root)", message: "Unknown field: x" }], EMPTY_FORM)).toEqual({ form: "(root): Unknown field: x" });
  });

  it("round-trips an endpoint into the settings form; a save leaves enabled to the Enable button", () => {
    const dto = {
      name: "Stripe",
      description: "payments",
      scheme: "stripe",
      options: { toleranceSeconds: 600 },
      target: { type: "workflow", id: "wf_9", name: "Billing" },
      mode: "async",
      syncTimeoutMs: 30_000,
      redactFields: ["data.object.card"],
      retentionDays: 14,
      maxBodyBytes: 2 * 1024 * 1024,
      enabled: false,
    } as WebhookDto;
    const form = formFromDto(dto);
    expect(form).toMatchObject({ target: "workflow:wf_9", toleranceSeconds: "600", maxBodyKiB: "2048", syncTimeoutSeconds: "30" });
    const r = parseUpdate(form);
    expect(r).toEqual({
      data: {
        name: "Stripe",
        description: "payments",
        scheme: "stripe",
        options: { toleranceSeconds: 600 },
        target: { type: "workflow", id: "wf_9" },
        mode: "async",
        syncTimeoutMs: 30_000,
        redactFields: ["data.object.card"],
        retentionDays: 14,
        maxBodyBytes: 2 * 1024 * 1024,
      },
    });
  });
});
