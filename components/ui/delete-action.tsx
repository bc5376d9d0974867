"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { ErrorBanner } from "./alert";
import { Button } from "./button";
import { ConfirmDialog } from "./dialog";

/**
 * A Delete button and the confirmation it opens: the request runs only on confirm, the dialog stays open
 * (showing the API's error) when it fails, and `onDeleted` runs after it succeeded (invalidate, navigate).
 * `trigger` replaces the default button, e.g. a section with its own "Delete platform" button.
 */
export function DeleteAction({
  title,
  description,
  confirmLabel,
  request,
  onDeleted,
  confirmDisabled,
  trigger,
}: {
  title: string;
  description: ReactNode;
  confirmLabel: string;
  request: () => Promise<unknown>;
  onDeleted: () => void;
  confirmDisabled?: boolean;
  trigger?: (open: () => void) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const del = useMutation({
    mutationFn: request,
    onSuccess: () => {
      setOpen(false);
      onDeleted();
    },
  });
  const show = () => setOpen(true);
  return (
    <>
      {trigger ? (
        trigger(show)
      ) : (
        <Button variant="danger" onClick={show}>
          Delete
        </Button>
      )}
      <ConfirmDialog
        open={open}
        onOpenChange={(o) => {
          setOpen(o);
          if (!o) del.reset();
        }}
        title={title}
        description={description}
        confirmLabel={confirmLabel}
        pending={del.isPending}
        confirmDisabled={confirmDisabled}
        onConfirm={() => del.mutate()}
      >
        <ErrorBanner error={del.error} className="mt-4" />
      </ConfirmDialog>
    </>
  );
}
