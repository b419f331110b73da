import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { type Customer, customersApi } from "../api/customers.ts";
import { Dialog, FormActions } from "../ui/Dialog.tsx";
import { ErrorBox } from "../ui/states.tsx";
import { CustomerFields } from "./CustomerFields.tsx";

/**
 * A customer's name, billing email, time zone and currency. The external id is how events name the customer,
 * so it is shown and not edited. Only fields that changed are sent.
 */
export function EditCustomerDialog({ customer, onClose }: { customer: Customer; onClose(): void }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState({
    name: customer.name,
    email: customer.email ?? "",
    timezone: customer.timezone,
    currency: customer.currency ?? "",
  });
  const save = useMutation({
    mutationFn: () => {
      const email = form.email.trim() || null;
      const currency = form.currency.trim().toUpperCase() || null;
      return customersApi.update(customer.id, {
        ...(form.name.trim() !== customer.name ? { name: form.name.trim() } : {}),
        ...(email !== customer.email ? { email } : {}),
        ...(form.timezone !== customer.timezone ? { timezone: form.timezone } : {}),
        ...(currency !== customer.currency ? { currency } : {}),
      });
    },
    onSuccess: (updated) => {
      queryClient.setQueryData(["customer", customer.id], updated);
      queryClient.invalidateQueries({ queryKey: ["customers"] });
      onClose();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <Dialog title={`Edit ${customer.name}`} onClose={onClose} onSubmit={submit} testId="edit-customer-dialog">
      <CustomerFields
        values={form}
        onChange={(key, value) => setForm((f) => ({ ...f, [key]: value }))}
        testIdPrefix="edit-"
      />
      <p className="muted small">
        External id <span className="ops-mono">{customer.externalId}</span> stays: events name the customer by
        it.
      </p>
      {save.isError && <ErrorBox error={save.error} title="Not saved." testId="edit-customer-error" />}
      <FormActions
        onCancel={onClose}
        label="Save"
        busyLabel="Saving…"
        busy={save.isPending}
        testId="save-customer"
      />
    </Dialog>
  );
}
