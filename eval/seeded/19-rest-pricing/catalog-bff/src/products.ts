export interface ProductContent {
  id: string;
  sku: string;
  title: string;
  imageUrl: string;
}

const CONTENT: ProductContent[] = [
  { id: "p-1001", sku: "MUG-CLASSIC-WHT", title: "Classic Mug, White", imageUrl: "https://cdn.acme.example/p/1001.jpg" },
  { id: "p-1002", sku: "TEE-LOGO-BLK-M", title: "Logo Tee, Black, M", imageUrl: "https://cdn.acme.example/p/1002.jpg" },
];

export function findProduct(id: string): ProductContent | undefined {
  return CONTENT.find((p) => p.id === id);
}
