import { z } from "zod";
import { paymentStatuses } from "./enums.ts";

export const paymentStatusSchema = z
  .enum(paymentStatuses)
  .describe(
    "derived: `paid` nothing outstanding; `overdue` outstanding after the due date; `partially_paid` some paid",
  );
