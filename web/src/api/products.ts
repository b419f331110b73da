import type { CreateProductRequest, Page, Product, ProductKind, UpdateProduct } from "@pricegraph/shared/api";
import { apiRequest } from "./client.ts";

export type { CreateProductRequest as CreateProduct, Product, ProductKind, UpdateProduct };

const id = encodeURIComponent;

export const productsApi = {
  /** The catalog by code; the first 500 products (a catalog is a price list, not a customer base). */
  list: (signal?: AbortSignal) => apiRequest<Page<Product>>("/products?limit=500", { signal }),
  create: (body: CreateProductRequest) => apiRequest<Product>("/products", { method: "POST", body }),
  update: (productId: string, body: UpdateProduct) =>
    apiRequest<Product>(`/products/${id(productId)}`, { method: "PATCH", body }),
  remove: (productId: string) => apiRequest<Product>(`/products/${id(productId)}`, { method: "DELETE" }),
};
