import { useCallback, useEffect, useRef, useState } from 'react';
import { liveEventTypes } from '../../../domain/live-session.ts';
import { applyLiveEvent, type LiveRoom, type RoomEvent } from './room.ts';

/** The event types a stream may carry; participant streams add the bare count. */
const streamEventTypes = [...liveEventTypes, 'participant-count'] as const;

export interface LiveRoomState<S> {
  /** The answer the room was loaded from (the Moderation's code and QR code, a participant's points …). */
  loaded: S | undefined;
  room: LiveRoom | undefined;
  error: unknown;
  /** false while the stream is lost and the browser tries again. */
  isConnected: boolean;
  /** Loads the state again (after `reset`, a refusal of the stream, or one's own change). */
  reload: () => Promise<void>;
  /** Replaces the loaded answer without touching the room (e.g. one's own points from a PUT answer). */
  setLoaded: (update: (loaded: S) => S) => void;
}

/**
 * A live session's state, kept current by its event stream: loads the state (which names
 * `lastEventId`), then opens an EventSource from there. The browser reconnects by itself and sends
 * the last id it received, so the server replays exactly what was missed; events already applied are
 * ignored (room.ts). On `reset`, or when the server refuses the stream (closed, removed, signed out),
 * the state is loaded again, which shows the reason.
 */
export function useLiveRoom<S>({ load, roomOf, eventsUrl, enabled = true }: { load: () => Promise<S>; roomOf: (loaded: S) => LiveRoom; eventsUrl: string; enabled?: boolean }): LiveRoomState<S> {
  const [loaded, setLoadedState] = useState<S>();
  const [room, setRoom] = useState<LiveRoom>();
  const [error, setError] = useState<unknown>(null);
  const [isConnected, setConnected] = useState(true);
  const [generation, setGeneration] = useState(0);
  const roomRef = useRef<LiveRoom | undefined>(undefined);
  const loadRef = useRef(load);
  const roomOfRef = useRef(roomOf);
  loadRef.current = load;
  roomOfRef.current = roomOf;

  const reload = useCallback(async () => {
    try {
      const answer = await loadRef.current();
      const fresh = roomOfRef.current(answer);
      roomRef.current = fresh;
      setLoadedState(answer);
      setRoom(fresh);
      setError(null);
      setGeneration((value) => value + 1);
    } catch (failure) {
      setError(failure);
    }
  }, []);

  useEffect(() => {
    if (enabled) void reload();
  }, [enabled, reload]);

  // One stream per loaded state: a reload opens a new one from the new lastEventId.
  useEffect(() => {
    const start = roomRef.current;
    if (!enabled || !start || generation === 0) return;
    const separator = eventsUrl.includes('?') ? '&' : '?';
    const source = new EventSource(`${eventsUrl}${separator}after=${start.lastEventId}`);
    let isClosed = false;
    const onEvent = (message: MessageEvent<string>) => {
      const current = roomRef.current;
      if (!current || isClosed) return;
      let data: Record<string, unknown>;
      try {
        data = JSON.parse(message.data || '{}') as Record<string, unknown>;
      } catch {
        return;
      }
      const event = { ...data, type: message.type } as RoomEvent;
      const next = applyLiveEvent(current, Number(message.lastEventId || 0), event);
      if (next === 'reset') {
        isClosed = true;
        source.close();
        void reload();
        return;
      }
      if (next !== current) {
        roomRef.current = next;
        setRoom(next);
      }
    };
    for (const type of streamEventTypes) source.addEventListener(type, onEvent as EventListener);
    source.onopen = () => setConnected(true);
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        // The server refused the stream (session closed, person removed, not signed in): the state says why.
        isClosed = true;
        setTimeout(() => void reload(), 1000);
      } else {
        setConnected(false);
      }
    };
    return () => {
      isClosed = true;
      source.close();
    };
  }, [enabled, eventsUrl, generation, reload]);

  const setLoaded = useCallback((update: (current: S) => S) => setLoadedState((current) => (current === undefined ? current : update(current))), []);
  return { loaded, room, error, isConnected, reload, setLoaded };
}
