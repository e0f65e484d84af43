export { PoolEditor } from './pool-editor';
export { PoolsScreen } from './pools-screen';
export { formatShare, sharePreview, type SharePreview, type ShareRow } from './share-math';
export { useSharePreview } from './use-share-preview';
