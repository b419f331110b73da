import { nodeCategories, nodeKinds } from "@pricegraph/engine";
import { type DragEvent, useMemo, useState } from "react";

export const DRAG_MIME = "application/x-pricegraph-node";

/** The node palette, generated from the engine's registry and grouped by its categories. */
export function Palette({ onAdd, onCollapse }: { onAdd: (type: string) => void; onCollapse?: () => void }) {
  const [query, setQuery] = useState("");
  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    return nodeCategories
      .map((category) => ({
        ...category,
        kinds: nodeKinds.filter(
          (k) =>
            k.category === category.id &&
            (!q ||
              k.label.toLowerCase().includes(q) ||
              k.type.toLowerCase().includes(q) ||
              k.description.toLowerCase().includes(q)),
        ),
      }))
      .filter((g) => g.kinds.length > 0);
  }, [query]);

  const onDragStart = (event: DragEvent, type: string) => {
    event.dataTransfer.setData(DRAG_MIME, type);
    event.dataTransfer.effectAllowed = "move";
  };

  return (
    <aside className="palette" aria-label="Node palette">
      <div className="palette-search">
        {onCollapse && (
          <button
            type="button"
            className="panel-collapse"
            onClick={onCollapse}
            aria-label="Hide the node palette"
            title="Hide the node palette"
            data-testid="collapse-palette"
          >
            ⟨
          </button>
        )}
        <input
          type="search"
          aria-label="Search nodes"
          placeholder="Search nodes…"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            // Enter in the search adds the first match: type "tier", Enter, and the node is there.
            const first = groups[0]?.kinds[0];
            if (e.key === "Enter" && first && query.trim()) {
              e.preventDefault();
              onAdd(first.type);
            }
          }}
          data-testid="palette-search"
        />
      </div>
      <div className="palette-groups">
        {groups.map((group) => (
          <section key={group.id} className={`palette-group cat-${group.id}`}>
            <h3>{group.label}</h3>
            {group.kinds.map((kind) => (
              <button
                type="button"
                key={kind.type}
                className="palette-item"
                draggable
                onDragStart={(e) => onDragStart(e, kind.type)}
                onClick={() => onAdd(kind.type)}
                title={`${kind.description}\nDrag onto the canvas, or click (Enter) to add it in the middle.`}
                data-testid={`palette-${kind.type}`}
              >
                <span className="palette-dot" />
                <span className="palette-label">{kind.label}</span>
              </button>
            ))}
          </section>
        ))}
        {groups.length === 0 && <p className="muted palette-empty">No node matches “{query}”.</p>}
      </div>
    </aside>
  );
}
