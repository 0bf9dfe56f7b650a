import { useFetcher } from "@remix-run/react";
import { useEffect, useRef } from "react";

/**
 * One submission with a fetcher of its own, sent once when mounted; `onAnswer` hears its answer
 * once. A list renders one per change in flight, so two quick changes never cancel each other
 * (a shared fetcher drops the first answer when the second is sent).
 */
export function SubmitOnce<T>({ body, action, onAnswer }: { body: FormData; action: string; onAnswer: (answer: T) => void }) {
  const fetcher = useFetcher<T>();
  const sent = useRef(false);
  const heard = useRef(false);
  useEffect(() => {
    if (sent.current) return;
    sent.current = true;
    fetcher.submit(body, { method: "post", action });
  }, [fetcher, body, action]);
  useEffect(() => {
    if (heard.current || fetcher.state !== "idle" || fetcher.data === undefined) return;
    heard.current = true;
    onAnswer(fetcher.data as T);
  }, [fetcher.state, fetcher.data, onAnswer]);
  return null;
}
