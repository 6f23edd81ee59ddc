import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, bool, int, nullable, obj, str, strEnum } from '../../../core/resource-types/schema-helpers';

/** `aws.elbv2.load-balancer` — an Application, Network or Gateway Load Balancer with its listeners and attributes. Id: the load balancer ARN. */
export const awsElbv2LoadBalancer: ResourceTypeDef = {
  type: 'aws.elbv2.load-balancer',
  provider: 'aws',
  description: 'An Elastic Load Balancing v2 load balancer: listeners (protocol, TLS policy, redirects) and attributes (access logs, deletion protection, header handling).',
  scope: 'regional',
  properties: obj({
    name: str(),
    arn: str(),
    type: strEnum(['application', 'network', 'gateway']),
    scheme: nullable(strEnum(['internet-facing', 'internal'])),
    listeners: arr(
      obj({
        arn: str(),
        port: nullable(int()),
        protocol: nullable(str('HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP, GENEVE')),
        sslPolicy: nullable(str()),
        redirectsToHttps: bool('the default action redirects to HTTPS'),
      }),
    ),
    accessLogs: bool(),
    deletionProtection: bool(),
    dropInvalidHeaderFields: nullable(bool('application load balancers only')),
  }),
  operations: [
    { op: 'elasticloadbalancing:DescribeLoadBalancers', lists: true },
    { op: 'elasticloadbalancing:DescribeListeners', paths: ['listeners'] },
    { op: 'elasticloadbalancing:DescribeLoadBalancerAttributes', paths: ['accessLogs', 'deletionProtection', 'dropInvalidHeaderFields'] },
  ],
};
