"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import type { z } from "zod";
import { useSchemaForm } from "@/components/forms/use-schema-form";
import { ErrorBanner } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogFooter } from "@/components/ui/dialog";

/**
 * A dialog whose form is checked with the API's own zod schema before it is sent, with the server's
 * field errors shown next to the same fields. Closing it forgets the errors and the last request, so
 * it opens clean each time.
 */
export function FormDialog<S extends z.ZodType, R>({
  schema,
  toInput,
  mutationFn,
  onSuccess,
  result,
  initiallyOpen = false,
  title,
  description,
  trigger,
  submitLabel,
  autoComplete,
  children,
}: {
  schema: S;
  toInput: (form: FormData) => unknown;
  mutationFn: (input: z.output<S>) => Promise<R>;
  onSuccess?: (data: R) => void;
  /**
   * For what the server returns only once (a token, a link): it replaces the form after success and the
   * dialog stays open until the person is done. `heading` replaces the form's title and description.
   * Without it, success closes the dialog.
   */
  result?: { render: (data: R) => React.ReactNode; heading?: { title: string; description?: React.ReactNode } };
  initiallyOpen?: boolean;
  title: string;
  description?: React.ReactNode;
  trigger: React.ReactNode;
  submitLabel: string;
  autoComplete?: "off";
  children: (errors: Record<string, string>) => React.ReactNode;
}) {
  const [open, setOpen] = useState(initiallyOpen);
  const form = useSchemaForm(schema, toInput);
  const mutation = useMutation({
    mutationFn,
    onSuccess: (data) => {
      onSuccess?.(data);
      if (!result) setOpen(false);
    },
    onError: form.fail,
  });
  const showResult = result !== undefined && mutation.isSuccess;
  const heading = (showResult && result.heading) || { title, description };

  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (!o) {
          form.reset();
          mutation.reset();
        }
      }}
      title={heading.title}
      description={heading.description}
      trigger={trigger}
    >
      {showResult ? (
        <div className="space-y-4">
          {result.render(mutation.data)}
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button">Done</Button>
            </DialogClose>
          </DialogFooter>
        </div>
      ) : (
        <form
          noValidate
          autoComplete={autoComplete}
          className="space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            const input = form.parse(e.currentTarget);
            if (input) mutation.mutate(input);
          }}
        >
          <ErrorBanner error={form.formError} />
          {children(form.errors)}
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="secondary">
                Cancel
              </Button>
            </DialogClose>
            <Button type="submit" pending={mutation.isPending}>
              {submitLabel}
            </Button>
          </DialogFooter>
        </form>
      )}
    </Dialog>
  );
}
