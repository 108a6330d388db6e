/** The only way this page creates content: elements plus text nodes (append() turns strings into text). */

export function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} is missing from the page`);
  return node as T;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) if (child != null && child !== '') node.append(child);
  return node;
}

export function notice(text?: string, isError?: boolean): void {
  $('notice').textContent = text || '';
  $('notice').classList.toggle('error', !!isError);
}
