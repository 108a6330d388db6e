import { el } from '../dom.js';
import { parseMarkdown, type Block, type Inline } from './markdown-parse.js';

/**
 * Markdown as DOM nodes: elements and text nodes only, so nothing in the text can become markup.
 * Links open in a new tab without telling the target where they came from.
 */
export function renderMarkdown(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const block of parseMarkdown(text)) fragment.append(blockNode(block));
  return fragment;
}

function blockNode(b: Block): HTMLElement {
  switch (b.t) {
    case 'p':
      return el('p', '', ...b.c.map(inlineNode));
    case 'pre':
      return el('pre', '', el('code', '', b.v));
    case 'ul':
      return el('ul', '', ...b.items.map((item) => el('li', '', ...item.map(inlineNode))));
    case 'ol': {
      const list = el('ol', '', ...b.items.map((item) => el('li', '', ...item.map(inlineNode))));
      if (b.start !== 1) list.start = b.start;
      return list;
    }
  }
}

function inlineNode(n: Inline): Node {
  switch (n.t) {
    case 'text':
      return document.createTextNode(n.v);
    case 'code':
      return el('code', '', n.v);
    case 'br':
      return el('br', '');
    case 'strong':
      return el('strong', '', ...n.c.map(inlineNode));
    case 'em':
      return el('em', '', ...n.c.map(inlineNode));
    case 'link': {
      const a = el('a', '', ...n.c.map(inlineNode));
      a.href = n.href;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      return a;
    }
  }
}
