import { useNumberFlagValue, useFlag } from '@openfeature/react-sdk';
import { OpenFeature } from '@openfeature/web-sdk';

export function ProductCard({ flagKey }: { flagKey: string }) {
  const slow = useNumberFlagValue('imageSlowLoad', 0); // flag: imageSlowLoad
  const { value } = useFlag('newBadge', false); // flag: newBadge
  const client = OpenFeature.getClient();
  const color = client.getStringValue(`hex-color`, 'grey'); // flag: hex-color
  const other = client.getBooleanValue(flagKey, false); // dynamic
  return slow + String(value) + color + String(other);
}
