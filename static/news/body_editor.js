// Pressroom's extension of the article body editor (django-prose-editor, news.html):
// the toolbar and dialogs in the admin's language, an accessible name for the text area,
// pasted Word, LibreOffice and web HTML reduced to the structure a release keeps, and
// pasted plain text given paragraphs, lists and links.
// The server tidies and sanitizes the same way (news.html_tidy); this makes the editor
// show at once what will be saved.
import { Extension, Plugin } from "django-prose-editor/editor"

const gettext = window.gettext || ((text) => text)

// django-prose-editor's menu items by name; its own titles are English only.
const LABELS = {
  heading2: gettext("Heading"),
  heading3: gettext("Subheading"),
  paragraph: gettext("Paragraph"),
  bulletList: gettext("Bulleted list"),
  orderedList: gettext("Numbered list"),
  orderedListProperties: gettext("List properties"),
  blockquote: gettext("Quotation"),
  bold: gettext("Bold (Ctrl+B)"),
  italic: gettext("Italic (Ctrl+I)"),
  subscript: gettext("Subscript"),
  superscript: gettext("Superscript"),
  link: gettext("Link (Ctrl+K)"),
  unlink: gettext("Remove link"),
  table: gettext("Insert table"),
  "table:addColumnAfter": gettext("Add column"),
  "table:deleteColumn": gettext("Delete column"),
  "table:addRowAfter": gettext("Add row"),
  "table:deleteRow": gettext("Delete row"),
  "table:mergeCells": gettext("Merge cells"),
  "table:splitCell": gettext("Split cell"),
  "table:toggleHeaderCell": gettext("Header cell"),
  "table:deleteTable": gettext("Delete table"),
  "history:undo": gettext("Undo (Ctrl+Z)"),
  "history:redo": gettext("Redo (Ctrl+Shift+Z)"),
}
// The table dialog's choices are option values the library compares with "Yes".
const CHOICES = { Yes: gettext("Yes"), No: gettext("No") }

function labelMenu(menubar) {
  for (const button of menubar.querySelectorAll("button[data-name]")) {
    const label = LABELS[button.dataset.name]
    if (label && button.title !== label) {
      button.title = label
      button.setAttribute("aria-label", label)
    }
  }
}

function labelDialogs(root) {
  for (const option of root.querySelectorAll(".prose-editor-dialog option")) {
    const choice = CHOICES[option.value]
    if (choice && option.textContent !== choice) {
      option.value = option.value // keep the value the library reads when the text changes
      option.textContent = choice
    }
  }
}

function nameTextArea(editor) {
  const container = editor.view.dom.closest(".prose-editor")
  const textarea = container?.querySelector("textarea")
  const label = textarea?.id && document.querySelector(`label[for="${textarea.id}"]`)
  if (!label) return
  if (!label.id) label.id = `${textarea.id}_label`
  editor.view.dom.setAttribute("role", "textbox")
  editor.view.dom.setAttribute("aria-multiline", "true")
  editor.view.dom.setAttribute("aria-labelledby", label.id)
  // The label points at the hidden textarea; clicking it should reach the editor.
  label.addEventListener("click", (event) => {
    event.preventDefault()
    editor.commands.focus()
  })
}

// --- paste -----------------------------------------------------------------------

const HEADINGS = { H1: "h2", H4: "h3", H5: "h3", H6: "h3" }
const NUMBERED = /^\(?([0-9]{1,3}|[a-zA-Z]|[ivxlcIVXLC]{1,5})[.)]/

const styleOf = (element) => (element.getAttribute("style") || "").replace(/\s/g, "").toLowerCase()
const isListMarker = (element) => styleOf(element).includes("mso-list:ignore")

function isWordListItem(node) {
  if (node.nodeType !== Node.ELEMENT_NODE || node.tagName !== "P") return false
  const style = styleOf(node)
  return (
    /msolistparagraph/i.test(node.className) ||
    (style.includes("mso-list:") && !style.includes("mso-list:none"))
  )
}

const listId = (paragraph) => (styleOf(paragraph).match(/mso-list:(l\d+)/) || [])[1]

function takeMarker(paragraph) {
  const marker = [...paragraph.querySelectorAll("span")].find(isListMarker)
  if (!marker) return ""
  const text = marker.textContent.replace(/\u00a0/g, " ").trim()
  marker.remove()
  return text
}

// Word writes a list as paragraphs with a typed bullet or number: make it a list again.
function wordLists(doc) {
  const done = new Set()
  for (const first of doc.querySelectorAll("p")) {
    if (done.has(first) || !isWordListItem(first)) continue
    const run = []
    for (let node = first; node; node = node.nextSibling) {
      if (isWordListItem(node)) {
        // mso-list: l1 level1 lfo2: each of Word's lists has its own l-number.
        if (listId(node) !== listId(first)) break
        run.push(node)
      } else if (!(node.nodeType === Node.TEXT_NODE && !node.textContent.trim())) break
    }
    const stack = []
    for (const paragraph of run) {
      done.add(paragraph)
      const level = Number((styleOf(paragraph).match(/level(\d+)/) || [0, 1])[1])
      const kind = NUMBERED.test(takeMarker(paragraph)) ? "ol" : "ul"
      const item = doc.createElement("li")
      const text = doc.createElement("p")
      text.append(...paragraph.childNodes)
      item.append(text)
      while (stack.length && stack.at(-1).level > level) stack.pop()
      if (!stack.length) {
        const list = doc.createElement(kind)
        paragraph.before(list)
        stack.push({ level, list })
      } else if (level > stack.at(-1).level) {
        const parent = stack.at(-1).list
        const list = doc.createElement(kind)
        ;(parent.lastElementChild || parent.appendChild(doc.createElement("li"))).append(list)
        stack.push({ level, list })
      }
      stack.at(-1).list.append(item)
      paragraph.remove()
    }
  }
}

function imageLink(doc, image) {
  let url
  try {
    url = new URL(image.getAttribute("src") || "", document.baseURI)
  } catch {
    return null
  }
  if (!["http:", "https:"].includes(url.protocol)) return null
  const link = doc.createElement("a")
  link.href = url.href
  link.textContent =
    image.alt.trim() || decodeURIComponent(url.pathname.split("/").pop()) || url.href
  return link
}

export function tidyPastedHTML(html) {
  const doc = new DOMParser().parseFromString(html, "text/html")
  for (const junk of doc.querySelectorAll("style, script, title, meta, link, xml")) junk.remove()
  wordLists(doc)
  for (const marker of [...doc.querySelectorAll("span")].filter(isListMarker)) marker.remove()
  for (const heading of doc.querySelectorAll("h1, h4, h5, h6")) {
    const replacement = doc.createElement(HEADINGS[heading.tagName])
    replacement.append(...heading.childNodes)
    heading.replaceWith(replacement)
  }
  // Column widths of the source document; the body's tables have none.
  for (const cell of doc.querySelectorAll("[width], [colwidth]")) {
    cell.removeAttribute("width")
    cell.removeAttribute("colwidth")
  }
  for (const image of doc.querySelectorAll("img")) {
    const link = imageLink(doc, image)
    if (link) image.replaceWith(link)
    else image.remove()
  }
  // Empty paragraphs: Word's <o:p>&nbsp;</o:p>, LibreOffice's <p><br></p>.
  for (const block of doc.querySelectorAll("p, h2, h3")) {
    if (!block.textContent.replace(/\u00a0/g, " ").trim() && !block.querySelector("a")) {
      block.remove()
    }
  }
  return doc.body.innerHTML
}

// Plain text (an e-mail, a text file) gets the structure the server gives a plain-text
// body (news.plaintext): paragraphs at blank lines, "- ", "* ", "• ", "1. " lists, links.
const ITEM = /^(?:([-*•])|(\d{1,3})[.)])\s+(\S.*)$/
const ADDRESS = /\b(?:https?:\/\/|www\.)[^\s<>"«»]+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/gi

function escapeText(text) {
  const span = document.createElement("span")
  span.textContent = text
  return span.innerHTML
}

function linkify(text) {
  let html = ""
  let position = 0
  for (const found of text.matchAll(ADDRESS)) {
    const address = found[0].replace(/[.,;:!?)\]»'’”]+$/, "")
    const href = address.includes("@") && !address.includes("/")
      ? `mailto:${address}`
      : /^www\./i.test(address) ? `https://${address}` : address
    html += escapeText(text.slice(position, found.index))
    html += `<a href="${escapeText(href).replace(/"/g, "&quot;")}">${escapeText(address)}</a>`
    position = found.index + address.length
  }
  return html + escapeText(text.slice(position))
}

export function structurePlainText(text) {
  text = text.replace(/\r\n?/g, "\n").trim()
  const breaks = /\n[ \t\u00a0]*\n/.test(text)
  const blocks = breaks ? text.split(/\n[ \t\u00a0]*\n/) : [text]
  const html = []
  for (const block of blocks) {
    let paragraph = []
    let list = null
    const flushParagraph = () => {
      if (paragraph.length) html.push(`<p>${paragraph.map(linkify).join("<br>")}</p>`)
      paragraph = []
    }
    const flushList = () => {
      if (list) {
        const start = list.kind === "ol" && list.start !== 1 ? ` start="${list.start}"` : ""
        const items = list.items.map((item) => `<li>${linkify(item)}</li>`).join("")
        html.push(`<${list.kind}${start}>${items}</${list.kind}>`)
      }
      list = null
    }
    for (const line of block.split("\n").map((line) => line.trim())) {
      if (!line) continue
      const item = line.match(ITEM)
      if (!item) {
        flushList()
        if (!breaks) flushParagraph()
        paragraph.push(line)
        continue
      }
      const kind = item[1] ? "ul" : "ol"
      if (!list || list.kind !== kind) {
        flushList()
        list = { kind, start: Number(item[2] || 1), items: [] }
      }
      flushParagraph()
      list.items.push(item[3])
    }
    flushParagraph()
    flushList()
  }
  return html.join("")
}

export const PressroomEditor = Extension.create({
  name: "pressroomEditor",

  onBeforeCreate({ editor }) {
    // Tiptap's inline <style> breaks the policy; the same rules are in body_editor.css.
    editor.options.injectCSS = false
    // Paste rules would turn a pasted link's text back into a link to that text, losing
    // its address (`shymkent.gov.kz` -> http://shymkent.gov.kz).
    editor.options.enablePasteRules = false
  },

  onCreate({ editor }) {
    const menubar = editor.view.dom.parentElement.querySelector(".prose-menubar")
    if (menubar) labelMenu(menubar)
    nameTextArea(editor)
    // The library builds a dialog (link, table) and adds it to the editor when it opens.
    const container = editor.view.dom.closest(".prose-editor")
    new MutationObserver(() => labelDialogs(container)).observe(container, { childList: true })
  },

  addProseMirrorPlugins() {
    const editor = this.editor
    return [
      new Plugin({
        props: {
          transformPastedHTML: tidyPastedHTML,
          handlePaste(_view, event) {
            const data = event.clipboardData
            if (!data || data.types.includes("text/html")) return false
            const text = data.getData("text/plain")
            // One line without an address pastes as it is.
            if (!text.includes("\n") && !text.match(ADDRESS)) return false
            editor.commands.insertContent(structurePlainText(text))
            return true
          },
        },
      }),
    ]
  },
})
