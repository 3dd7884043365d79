import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { HomePage } from './HomePage';
import { JoinPage } from './JoinPage';
import { CircleRoute } from './CircleRoute';
import { loadCircleMemory, updateCircleMemory } from '../lib/storage';

function mockFetch(handler: (url: string, init?: RequestInit) => { status: number; body: unknown }) {
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const { status, body } = handler(String(input), init);
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fn);
  return fn;
}

afterEach(() => {
  vi.unstubAllGlobals();
  window.history.replaceState(null, '', '/');
});

describe('HomePage', () => {
  it('creates a circle with the chosen template, then shows both links, the warning, and remembers the key', async () => {
    const fetchFn = mockFetch(() => ({
      status: 201,
      body: { circleId: 'abc', facilitatorKey: 'k3y', inviteUrl: 'http://x/c/abc', facilitatorUrl: 'http://x/c/abc#host=k3y' },
    }));
    render(<HomePage />);
    fireEvent.change(screen.getByLabelText('Circle title'), { target: { value: '  Evening café  ' } });
    fireEvent.click(screen.getByRole('radio', { name: /Conversation Café/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Create circle' }));
    await screen.findByRole('heading', { name: 'Your circle is ready' });
    const [url, init] = fetchFn.mock.calls[0] ?? [];
    expect(url).toBe('/api/circles');
    expect(JSON.parse(String(init?.body))).toEqual({ title: 'Evening café', template: 'conversation-cafe' });
    expect((screen.getByLabelText(/Invite link/) as HTMLInputElement).value).toBe('http://x/c/abc');
    expect((screen.getByLabelText(/Facilitator link/) as HTMLInputElement).value).toBe('http://x/c/abc#host=k3y');
    expect(screen.getByRole('note').textContent).toMatch(/can run this circle/);
    expect(loadCircleMemory('abc').facilitatorKey).toBe('k3y');
    expect(screen.getByRole('button', { name: 'Enter as facilitator' })).toBeTruthy();
  });

  it('sends the café’s question when there is one, and shows it on the ready page', async () => {
    const fetchFn = mockFetch(() => ({
      status: 201,
      body: { circleId: 'abc', facilitatorKey: 'k3y', inviteUrl: 'http://x/c/abc', facilitatorUrl: 'http://x/c/abc#host=k3y' },
    }));
    render(<HomePage />);
    fireEvent.change(screen.getByLabelText('Circle title'), { target: { value: 'Evening café' } });
    fireEvent.click(screen.getByRole('radio', { name: /Conversation Café/ }));
    const question = screen.getByLabelText(/^Question/) as HTMLTextAreaElement;
    expect(question.maxLength).toBe(300);
    fireEvent.change(question, { target: { value: '  What is enough?  ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create circle' }));
    await screen.findByRole('heading', { name: 'Your circle is ready' });
    expect(JSON.parse(String(fetchFn.mock.calls[0]?.[1]?.body))).toEqual({ title: 'Evening café', template: 'conversation-cafe', question: 'What is enough?' });
    expect(screen.getByText('What is enough?')).toBeTruthy();
  });

  it('shows the server’s message when creation fails, and asks for a title first', async () => {
    const fetchFn = mockFetch(() => ({ status: 400, body: { error: { code: 'invalid', message: 'Title too long.' } } }));
    render(<HomePage />);
    fireEvent.click(screen.getByRole('button', { name: 'Create circle' }));
    expect(screen.getByRole('alert').textContent).toBe('Give the circle a title.');
    expect(fetchFn).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText('Circle title'), { target: { value: 'x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create circle' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Title too long.'));
  });
});

describe('JoinPage', () => {
  const summary = { circleId: 'abc', title: 'Dawn circle', stage: 'honoring-pain', participantCount: 3, locked: false };

  it('shows the title, the stage and how many are here, and joins with the trimmed name', async () => {
    mockFetch(() => ({ status: 200, body: summary }));
    const onJoin = vi.fn();
    render(<JoinPage circleId="abc" asFacilitator={false} onJoin={onJoin} />);
    await screen.findByRole('heading', { name: 'Dawn circle' });
    expect(screen.getByText('Now: Honoring our Pain for the World')).toBeTruthy();
    expect(screen.getByText('3 people here')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Join' }));
    expect(screen.getByRole('alert').textContent).toMatch(/your name/);
    expect(onJoin).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText('Your name'), { target: { value: ' Rosa ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Join' }));
    expect(onJoin).toHaveBeenCalledWith('Rosa');
  });

  it('shows the question first, and never a stage of the spiral to a café', async () => {
    mockFetch(() => ({ status: 200, body: { ...summary, stage: 'gratitude', template: 'conversation-cafe', question: 'What is enough?' } }));
    render(<JoinPage circleId="abc" asFacilitator={false} onJoin={() => {}} />);
    await screen.findByRole('heading', { name: 'Dawn circle' });
    expect(screen.getByText('What is enough?').closest('figure')?.textContent).toMatch(/^The question/);
    expect(screen.getByText(/invited to a Conversation Café/)).toBeTruthy();
    expect(screen.queryByText(/Now:/)).toBeNull();
    expect(screen.queryByText(/Gratitude/)).toBeNull();
    expect(screen.getByText('3 people here')).toBeTruthy();
  });

  it('has a page for no such circle, and one for a locked circle (unless you are the facilitator)', async () => {
    mockFetch(() => ({ status: 404, body: { error: { code: 'not_found', message: 'nope' } } }));
    const { unmount } = render(<JoinPage circleId="zzz" asFacilitator={false} onJoin={() => {}} />);
    await screen.findByRole('heading', { name: 'No such circle' });
    unmount();
    mockFetch(() => ({ status: 200, body: { ...summary, locked: true } }));
    const locked = render(<JoinPage circleId="abc" asFacilitator={false} onJoin={() => {}} />);
    await screen.findByRole('heading', { name: 'This circle is locked' });
    locked.unmount();
    render(<JoinPage circleId="abc" asFacilitator onJoin={() => {}} />);
    await screen.findByRole('heading', { name: 'Dawn circle' });
    expect(screen.getByText('You will join as the facilitator.')).toBeTruthy();
  });
});

describe('CircleRoute', () => {
  it('keeps the facilitator key from the fragment and removes it from the address bar', async () => {
    mockFetch(() => ({ status: 200, body: { circleId: 'abc', title: 'T', stage: 'gratitude', participantCount: 0, locked: false } }));
    window.history.replaceState(null, '', '/c/abc#host=s3cret');
    render(<CircleRoute circleId="abc" />);
    expect(loadCircleMemory('abc').facilitatorKey).toBe('s3cret');
    expect(window.location.hash).toBe('');
    expect(window.location.pathname).toBe('/c/abc');
    await screen.findByText('You will join as the facilitator.');
  });

  it('asks for a name the first time, and goes straight in when the name is remembered', async () => {
    const fetchFn = mockFetch(() => ({ status: 200, body: { circleId: 'abc', title: 'T', stage: 'gratitude', participantCount: 0, locked: false } }));
    const first = render(<CircleRoute circleId="abc" />);
    expect(await screen.findByLabelText('Your name')).toBeTruthy();
    first.unmount();
    updateCircleMemory('abc', { name: 'Rosa', sessionToken: 'tok' });
    fetchFn.mockClear();
    render(<CircleRoute circleId="abc" />);
    expect(screen.queryByLabelText('Your name')).toBeNull();
    expect(fetchFn).not.toHaveBeenCalled();
  });
});
