import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderScreen, twoBackendWorkspace } from '../validation/test-harness';
import { PoolsScreen } from './pools-screen';

const share = (b: string) => screen.getByTestId(`share-${b}`).textContent;
const setWeight = (b: string, v: string) => {
  const input = screen.getByTestId(`weight-input-${b}`);
  fireEvent.change(input, { target: { value: v } });
  fireEvent.blur(input);
};

describe('pool editor (issue 7, DESIGN §5 scenario)', () => {
  it('draws lanes with member cards, highest priority first', () => {
    renderScreen(PoolsScreen, twoBackendWorkspace());
    const lane = screen.getByTestId('pool-lane-1');
    expect(within(lane).getByTestId('member-card-east')).toBeTruthy();
    expect(within(lane).getByTestId('member-card-west')).toBeTruthy();
    expect(screen.getByTestId('pool-lane-new')).toBeTruthy();
  });

  it('weights 3:1 → 75 %/25 %; first tripped → 100 % on the second; moved to a lower lane → 100 % on the one left', () => {
    const { harness } = renderScreen(PoolsScreen, twoBackendWorkspace());
    expect([share('east'), share('west')]).toEqual(['50 %', '50 %']);
    setWeight('east', '3');
    setWeight('west', '1');
    expect([share('east'), share('west')]).toEqual(['75 %', '25 %']);
    expect(harness.current().pools!.pool!.services.map((m) => m.weight)).toEqual([3, 1]);

    fireEvent.click(screen.getByTestId('trip-toggle-east'));
    expect([share('east'), share('west')]).toEqual(['0 %', '100 %']);
    fireEvent.click(screen.getByTestId('trip-toggle-east'));

    fireEvent.click(screen.getByTestId('lane-down-east'));
    expect(within(screen.getByTestId('pool-lane-2')).getByTestId('member-card-east')).toBeTruthy();
    expect(within(screen.getByTestId('pool-lane-1')).queryByTestId('member-card-east')).toBeNull();
    expect([share('east'), share('west')]).toEqual(['0 %', '100 %']);
    expect(screen.getByTestId('pool-announcer').textContent).toBe('east moved to priority lane 2');

    // Tripping the higher lane sends everything down a lane; tripping both is 503 for everyone.
    fireEvent.click(screen.getByTestId('trip-toggle-west'));
    expect([share('east'), share('west')]).toEqual(['100 %', '0 %']);
    fireEvent.click(screen.getByTestId('trip-toggle-east'));
    expect(screen.getByTestId('share-none').textContent).toMatch(/503 for everyone/);
    fireEvent.click(screen.getByTestId('trip-clear'));
    expect(screen.queryByTestId('share-none')).toBeNull();
  });

  it('moves a card back up with the lane button, and disables moves that go nowhere', () => {
    renderScreen(PoolsScreen, twoBackendWorkspace());
    fireEvent.click(screen.getByTestId('lane-down-west'));
    expect((screen.getByTestId('lane-down-west') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId('lane-up-west'));
    expect(within(screen.getByTestId('pool-lane-1')).getByTestId('member-card-west')).toBeTruthy();
    expect(screen.queryByTestId('pool-lane-2')).toBeNull();
  });

  it('sets a weight with the slider too', () => {
    const { harness } = renderScreen(PoolsScreen, twoBackendWorkspace());
    fireEvent.change(screen.getByTestId('weight-slider-west'), { target: { value: '20' } });
    expect(harness.current().pools!.pool!.services[1]!.weight).toBe(20);
  });

  it('adds and removes members', () => {
    const ws = twoBackendWorkspace();
    ws.backends.north = { url: 'https://north.example.com/openai' };
    const { harness } = renderScreen(PoolsScreen, ws);
    fireEvent.click(screen.getByTestId('add-member-button'));
    expect(within(screen.getByTestId('pool-lane-1')).getByTestId('member-card-north')).toBeTruthy();
    expect([share('east'), share('west'), share('north')]).toEqual(['33.3 %', '33.3 %', '33.3 %']);
    fireEvent.click(screen.getByTestId('remove-member-north'));
    expect(screen.queryByTestId('member-card-north')).toBeNull();
    expect(harness.current().pools!.pool!.services.map((m) => m.backend)).toEqual(['east', 'west']);
  });

  it('creates a pool from two backends and shows it', () => {
    const { harness } = renderScreen(PoolsScreen, twoBackendWorkspace());
    fireEvent.change(screen.getByTestId('add-pool-id'), { target: { value: 'second' } });
    fireEvent.click(screen.getByTestId('add-pool-member-east'));
    fireEvent.click(screen.getByTestId('add-pool-member-west'));
    fireEvent.click(screen.getByTestId('add-pool-submit'));
    expect(screen.getByTestId('pool-editor-second')).toBeTruthy();
    expect(harness.current().pools!.second!.services).toHaveLength(2);
  });

  it('refuses to delete a pool an api uses, and says so', () => {
    renderScreen(PoolsScreen, twoBackendWorkspace());
    fireEvent.click(screen.getByTestId('remove-pool-pool'));
    expect(screen.getByTestId('pool-announcer').textContent).toBe('"pool" serves api "chat": point the api elsewhere first');
  });

  it('gives every card a keyboard-focusable drag handle with instructions', () => {
    renderScreen(PoolsScreen, twoBackendWorkspace());
    const handle = screen.getByTestId('drag-handle-east');
    expect(handle.getAttribute('aria-roledescription')).toBe('sortable');
    expect(handle.getAttribute('aria-describedby')).toBeTruthy();
    handle.focus();
    expect(document.activeElement).toBe(handle);
  });
});

describe('keyboard dragging', () => {
  it('picks a card up with Space and announces it, Escape cancels', async () => {
    // jsdom lays nothing out, so dnd-kit thinks the card is off screen and scrolls it into view: jsdom lacks that.
    Element.prototype.scrollIntoView ??= () => {};
    renderScreen(PoolsScreen, twoBackendWorkspace());
    const handle = screen.getByTestId('drag-handle-east');
    handle.focus();
    fireEvent.keyDown(handle, { key: ' ', code: 'Space' });
    expect(await screen.findByText(/Picked up east\. Arrow keys move it/)).toBeTruthy();
    fireEvent.keyDown(document, { key: 'Escape', code: 'Escape' });
    expect(await screen.findByText(/Moving east was cancelled/)).toBeTruthy();
  });
});
