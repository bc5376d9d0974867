"use client";

import type { UseMutationResult } from "@tanstack/react-query";
import type { useSchemaForm } from "./use-schema-form";
import { ErrorBanner, SuccessNote } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/**
 * An inline settings form (a card's fields, not a dialog): validates with the schema form, saves through the
 * mutation, and says "Saved" while the last save is the one that succeeded. Without `canSave` it only shows.
 */
export function SettingsForm({
  form,
  save,
  submitLabel,
  canSave = true,
  children,
}: {
  form: ReturnType<typeof useSchemaForm>;
  save: UseMutationResult<unknown, unknown, unknown>;
  submitLabel: string;
  canSave?: boolean;
  children: React.ReactNode;
}) {
  return (
    <form
      noValidate
      className="max-w-xl space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        save.reset();
        const input = form.parse(e.currentTarget);
        if (input) save.mutate(input);
      }}
    >
      <ErrorBanner error={form.formError} />
      {children}
      {canSave && (
        <div className="flex items-center gap-3">
          <Button type="submit" pending={save.isPending}>
            {submitLabel}
          </Button>
          {save.isSuccess && <SuccessNote>Saved</SuccessNote>}
        </div>
      )}
    </form>
  );
}
