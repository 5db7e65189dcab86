"use client";

import {
  type Announcements,
  closestCenter,
  DndContext,
  type DragEndEvent,
  KeyboardSensor,
  PointerSensor,
  type UniqueIdentifier,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import { arrayMove, SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import type { ReactNode } from "react";

type Item = { id: string; label: string };

type Props<T extends Item> = {
  items: T[];
  /** "lesson" or "video": used in the handles' names and the screen reader announcements. */
  noun: string;
  listLabel: string;
  disabled?: boolean;
  onReorder: (ids: string[]) => void;
  children: (item: T, handle: ReactNode) => ReactNode;
};

/** A list reordered by dragging a handle or, with the handle focused, by Space, the arrow keys and Space again. */
export function SortableList<T extends Item>({ items, noun, listLabel, disabled, onReorder, children }: Props<T>) {
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const ids = items.map((item) => item.id);
  const label = (id: UniqueIdentifier) => items.find((item) => item.id === id)?.label ?? "";
  const place = (id: UniqueIdentifier) => `position ${ids.indexOf(String(id)) + 1} of ${ids.length}`;
  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${noun} ${label(active.id)}, at ${place(active.id)}.`,
    onDragOver: ({ active, over }) => (over ? `${noun} ${label(active.id)} is over ${place(over.id)}.` : `${noun} ${label(active.id)} is not over the list.`),
    onDragEnd: ({ active, over }) => (over ? `${noun} ${label(active.id)} dropped at ${place(over.id)}.` : `${noun} ${label(active.id)} dropped where it was.`),
    onDragCancel: ({ active }) => `Moving ${noun} ${label(active.id)} was cancelled; it stays at ${place(active.id)}.`,
  };

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    onReorder(arrayMove(ids, ids.indexOf(String(active.id)), ids.indexOf(String(over.id))));
  };

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragEnd={onDragEnd}
      accessibility={{
        announcements,
        screenReaderInstructions: {
          draggable: `To move a ${noun}, press Space or Enter on its handle, move it with the arrow keys, and press Space or Enter to drop it (Escape cancels).`,
        },
      }}
    >
      <SortableContext items={ids} strategy={verticalListSortingStrategy} disabled={disabled}>
        <ol className="sortable-list" aria-label={listLabel}>
          {items.map((item) => (
            <SortableRow key={item.id} id={item.id} handleLabel={`Move ${noun} ${item.label}`} disabled={disabled}>
              {(handle) => children(item, handle)}
            </SortableRow>
          ))}
        </ol>
      </SortableContext>
    </DndContext>
  );
}

function SortableRow({ id, handleLabel, disabled, children }: { id: string; handleLabel: string; disabled?: boolean; children: (handle: ReactNode) => ReactNode }) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id, disabled });
  const handle = disabled ? null : (
    // The grip is drawn by CSS: the row's text stays its item's.
    <button type="button" className="drag-handle" ref={setActivatorNodeRef} {...attributes} {...listeners} aria-label={handleLabel} />
  );
  return (
    <li ref={setNodeRef} className={`sortable-row${isDragging ? " dragging" : ""}`} style={{ transform: CSS.Translate.toString(transform), transition }}>
      {children(handle)}
    </li>
  );
}
