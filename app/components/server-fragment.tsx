import { createContext, useContext, useState, type HTMLAttributes } from "react";

/**
 * Large server-built markup (the day board) without sending it twice. On a document request the
 * loader hands the HTML to the renderer through the request context instead of its data, so it is
 * in the page once, not again in the hydration payload; the browser then hydrates from the markup
 * already in the DOM. Client-side navigations and revalidations get the HTML in the loader data.
 */
const FragmentsContext = createContext<Map<string, string> | null>(null);
export const ServerFragmentsProvider = FragmentsContext.Provider;

export function ServerFragment({ id, html, ...rest }: { id: string; html: string | null } & Omit<HTMLAttributes<HTMLDivElement>, "dangerouslySetInnerHTML" | "children">) {
  const rendering = useContext(FragmentsContext);
  // Read once, before React touches the DOM: the markup the server sent with the document.
  const [fromDocument] = useState(() => (typeof document === "undefined" ? null : (document.getElementById(id)?.innerHTML ?? null)));
  return <div id={id} {...rest} dangerouslySetInnerHTML={{ __html: html ?? rendering?.get(id) ?? fromDocument ?? "" }} />;
}
