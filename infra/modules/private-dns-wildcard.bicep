// Private DNS zone that resolves every host name of an internal Container Apps environment to its
// internal load balancer, linked to the virtual network.

@description('Tags for every resource.')
param tags object

@description('The environment\'s default domain.')
param zoneName string

@description('The environment\'s static (internal) IP address.')
param ipAddress string

@description('Virtual network the zone is linked to.')
param virtualNetworkId string

resource zone 'Microsoft.Network/privateDnsZones@2020-06-01' = {
  name: zoneName
  location: 'global'
  tags: tags

  resource wildcard 'A' = {
    name: '*'
    properties: {
      ttl: 300
      aRecords: [
        {
          ipv4Address: ipAddress
        }
      ]
    }
  }

  resource link 'virtualNetworkLinks' = {
    name: uniqueString(virtualNetworkId)
    location: 'global'
    tags: tags
    properties: {
      registrationEnabled: false
      virtualNetwork: {
        id: virtualNetworkId
      }
    }
  }
}
