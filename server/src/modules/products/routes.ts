import {
  createProductBody,
  errorBodySchema,
  idParams,
  listProductsQuery,
  pageSchema,
  productSchema,
  updateProductBody,
} from "@pricegraph/shared/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { Deps } from "../../context.ts";
import { createProduct, getProduct, pageOfProducts, patchProduct, removeProduct } from "./service.ts";

const tags = ["products"];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };

export const productRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.post(
    "/products",
    {
      schema: {
        tags,
        summary: "Add a product to the catalog",
        description:
          "A product, a sub-product (`parentId`) or an add-on (`kind: add_on`). A plan's invoice line node names " +
          "it by `code` in its `product` field; invoices group their lines by it.",
        body: createProductBody,
        response: { 201: productSchema, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createProduct(deps, request.caller, request.body)),
  );

  app.get(
    "/products",
    {
      schema: {
        tags,
        summary: "List the catalog (by code)",
        querystring: listProductsQuery,
        response: { 200: pageSchema(productSchema), ...errors },
      },
    },
    async (request) => pageOfProducts(deps, request.tenantId, request.query),
  );

  app.get(
    "/products/:id",
    {
      schema: {
        tags,
        summary: "Get a product",
        params: idParams,
        response: { 200: productSchema, ...errors },
      },
    },
    async (request) => getProduct(deps, request.tenantId, request.params.id),
  );

  app.patch(
    "/products/:id",
    {
      schema: {
        tags,
        summary: "Update a product (its code stays)",
        params: idParams,
        body: updateProductBody,
        response: { 200: productSchema, ...errors },
      },
    },
    async (request) => patchProduct(deps, request.caller, request.params.id, request.body),
  );

  app.delete(
    "/products/:id",
    {
      schema: {
        tags,
        summary: "Delete a product without sub-products",
        description: "Plans and invoices naming its code keep the code.",
        params: idParams,
        response: { 200: productSchema, ...errors },
      },
    },
    async (request) => removeProduct(deps, request.caller, request.params.id),
  );
};
